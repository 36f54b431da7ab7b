-- title: Where a text was seen
-- description: Every source and line span where a text was seen, with the thread part it became. Give the
--   text's fragment id (shown under each part of a thread page) or words from the text.
-- param fragment: Fragment id | 16 hex digits, e.g. 0899cca3b6fd5803
-- param q: or words from the text | e.g. Zhovtis
-- empty: No archived text matches.
-- button: Find where it was seen
-- order: 8

with m as (
  select fragment_id, fragment_rowid, min(rank) as rank from (
    select f.id as fragment_id, f.rowid as fragment_rowid, fragments_fts.rank as rank
    from fragments_fts join public_fragments f on f.rowid = fragments_fts.rowid
    where fragments_fts match fts_query(:q)
    union all
    select id, rowid, -1e300 from public_fragments where id = trim(:fragment)
  )
  group by fragment_id
)
select
  s.fragment_id,
  s.source_id,
  src.name as source,
  s.line_start,
  s.line_end,
  substr(src.sha256, 1, 12) as sha256,
  src.ingested_at,
  s.thread_id,
  s.n,
  t.title as thread_title,
  substr(f.text, 1, 200) as text
from m
join public_sightings s on s.fragment_rowid = m.fragment_rowid
join public_sources src on src.id = s.source_id
join public_fragments f on f.rowid = s.fragment_rowid
left join public_threads t on t.id = s.thread_id
order by m.rank, s.fragment_id, src.id, s.line_start
limit 1000
