-- title: Incomplete threads
-- description: Numbered threads with parts still missing, the nearest to complete first: what to look
--   for in the next paste.
-- order: 3

select
  t.id as thread_id,
  t.title,
  t.author,
  t.parts || coalesce('/' || t.total, '') as parts,
  json_array_length(coalesce(t.missing, '[]')) as missing_count,
  t.missing,
  (select name from public_sources where id = t.first_source_id) as first_source,
  t.updated_at
from public_threads t
where t.kind != 'article' and not t.complete
order by missing_count, t.updated_at desc, t.id
