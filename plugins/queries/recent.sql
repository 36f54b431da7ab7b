-- title: Recently archived threads
-- description: The 100 threads created or extended most recently.
-- order: 10

select
  t.id as thread_id,
  t.title,
  t.kind,
  t.author,
  t.parts || coalesce('/' || t.total, '') as parts,
  t.complete,
  t.updated_at,
  t.created_at,
  (select name from public_sources where id = t.first_source_id) as first_source
from public_threads t
order by t.updated_at desc, t.created_at desc, t.id
limit 100
