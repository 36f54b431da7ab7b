-- title: Search archived text
-- description: Every archived post and paragraph holding the words, the 200 best matches first, each with
--   its thread, part, author and the source it came from. Write words (all must match), "a phrase",
--   elections OR Tokayev, elections -Tokayev (without it), or OSC* (words starting with OSC); accents are
--   ignored (defenseurs finds défenseurs). A query that cannot be read is searched as plain words. A very
--   common word is ranked among its 20,000 most recently archived matches. In the CSV and JSON, the match
--   in each snippet is marked [[like this]]. The search page of the archive (/-/search) has facets and
--   pages through every match.
-- param q: Words to find | e.g. "political persecution", elections OR Tokayev, OSC*
-- empty: Nothing archived matches “{q}”. Try fewer words, OR between them, or a prefix such as elect*.
-- button: Search
-- order: 1

with hits as (
  select fragments_fts.rowid as fts_rowid, fragments_fts.rank as rank,
    snippet(fragments_fts, 0, '[[', ']]', ' … ', 24) as snippet
  from fragments_fts
  where fragments_fts match fts_query(:q)
    and fragments_fts.rowid >= (
      select coalesce(min(rowid), 0) from (
        select rowid from fragments_fts
        where fragments_fts match fts_query(:q)
        order by rowid desc limit 20000))
    and exists (select 1 from public_fragments pf where pf.rowid = fragments_fts.rowid)
  order by rank
  limit 200
),
page as (
  select m.rank, m.snippet, f.id as fragment_id, f.rowid as fragment_rowid, p.thread_id, p.n, p.author
  from hits m
  join public_fragments f on f.rowid = m.fts_rowid
  left join public_thread_parts p on p.fragment_rowid = f.rowid
),
th as (
  select id, title, total, author from public_threads where id in (select thread_id from page)
)
select
  r.thread_id,
  t.title as thread_title,
  case
    when r.n is null then null
    when t.total is not null then r.n || '/' || t.total
    else cast(r.n as text)
  end as part,
  coalesce(r.author, t.author) as author,
  (
    select group_concat(name, ', ') from (
      select distinct src.name
      from public_sightings s
      join public_sources src on src.id = s.source_id
      where s.fragment_rowid = r.fragment_rowid and (r.thread_id is null or s.thread_id = r.thread_id)
      order by src.id
    )
  ) as source,
  r.snippet,
  r.fragment_id
from page r
left join th t on t.id = r.thread_id
order by r.rank, r.thread_id, r.n
limit 200
