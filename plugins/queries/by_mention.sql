-- title: Posts mentioning an account
-- description: Archived parts that mention an account, best matches first. Type the handle with or
--   without its @.
-- param handle: Account handle | e.g. @kibhr or kibhr
-- empty: No archived part mentions “{handle}”.
-- button: Find posts
-- order: 5

with q as (select trim(ltrim(trim(:handle), '@')) as tag),
m as (
  select
    fragments_fts.rowid as fts_rowid,
    rank,
    snippet(fragments_fts, 0, '[[', ']]', ' … ', 24) as snippet,
    highlight(fragments_fts, 0, char(1), char(2)) as marked
  from fragments_fts, q
  where fragments_fts match coalesce(
    nullif(escape_fts(replace(substr(q.tag, 1, length(q.tag)), char(10), ' ')), ''),
    '""'
  )
)
select
  p.thread_id,
  t.title as thread_title,
  case
    when p.n is null then null
    when t.total is not null then p.n || '/' || t.total
    else cast(p.n as text)
  end as part,
  coalesce(p.author, t.author) as author,
  (
    select group_concat(name, ', ') from (
      select distinct src.name
      from public_sightings s
      join public_sources src on src.id = s.source_id
      where s.fragment_rowid = f.rowid and (p.thread_id is null or s.thread_id = p.thread_id)
      order by src.id
    )
  ) as source,
  m.snippet,
  f.id as fragment_id
from m
join public_fragments f on f.rowid = m.fts_rowid
left join public_thread_parts p on p.fragment_rowid = f.rowid
left join public_threads t on t.id = p.thread_id
where instr(m.marked, '@' || char(1)) > 0
order by m.rank, p.thread_id, p.n
limit 500
