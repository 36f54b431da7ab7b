-- title: One thread, part by part
-- description: Every part of one thread in order, with a row marked missing for each part number the
--   archive has not seen yet, and where each part was seen (source, lines, sha256). An old id left by a
--   merge of two threads works too.
-- param id: Thread id | The 12-character id shown on the thread page, e.g. 23a0c79db9d1
-- empty: No thread has the id “{id}”. Check the id on the thread page, or search for the thread.
-- button: Show the thread
-- order: 2

with recursive
  t as (
    select * from public_threads
    where id = coalesce((select thread_id from public_thread_aliases where alias = :id), :id)
  ),
  top as (
    select min(5000, max(coalesce(t.total, 0),
                         coalesce((select max(n) from public_thread_parts where thread_id = t.id), 0))) as top
    from t
  ),
  nums(n) as (
    select 1 from top where top >= 1
    union all
    select n + 1 from nums, top where n < top
  ),
  slots as (
    select nums.n, p.fragment_id, p.fragment_rowid, p.inferred, p.conflict, p.marker, p.author, p.posted_at
    from nums cross join t left join public_thread_parts p on p.thread_id = t.id and p.n = nums.n
    union all
    select null, p.fragment_id, p.fragment_rowid, p.inferred, p.conflict, p.marker, p.author, p.posted_at
    from t join public_thread_parts p on p.thread_id = t.id and p.n is null
  )
select
  t.id as thread_id,
  case when slots.n is null then null when t.total is not null then slots.n || '/' || t.total
       else cast(slots.n as text) end as part,
  case when slots.fragment_id is null then 'missing'
       when slots.conflict then 'conflict'
       when slots.inferred and t.kind != 'article' then 'number inferred'
       else 'present' end as status,
  f.text,
  coalesce(slots.author, t.author) as author,
  slots.posted_at,
  slots.marker,
  (select group_concat(seen, '; ') from (
     select src.name || ' lines ' || s.line_start || '-' || s.line_end
            || ' (sha256 ' || substr(src.sha256, 1, 12) || ')' as seen
     from public_sightings s join public_sources src on src.id = s.source_id
     where s.fragment_rowid = slots.fragment_rowid order by src.id, s.line_start)) as seen_in,
  slots.fragment_id
from slots cross join t
left join public_fragments f on f.id = slots.fragment_id
order by coalesce(slots.n, 0), slots.fragment_id
