-- title: Threads by author
-- description: Threads whose author, or the author of one of their parts, contains the name given; exact
--   names first.
-- param author: Author | A name or handle, or part of one
-- empty: No archived thread has an author matching “{author}”.
-- button: Find threads
-- order: 6

with q as (select trim(ltrim(trim(:author), '@')) as a),
  pat as (select '%' || replace(replace(replace(a, '\', '\\'), '%', '\%'), '_', '\_') || '%' as p from q)
select
  t.id as thread_id,
  t.title,
  t.author,
  t.kind,
  t.parts || coalesce('/' || t.total, '') as parts,
  t.complete,
  t.updated_at
from public_threads t, q, pat
where q.a != ''
  and (t.author like pat.p escape '\'
       or exists (select 1 from public_thread_parts tp where tp.thread_id = t.id
                  and tp.author like pat.p escape '\'))
order by lower(coalesce(t.author, '')) = lower(q.a) desc, t.updated_at desc, t.id
