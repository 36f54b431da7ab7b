-- title: Duplicates
-- description: Texts archived more than once. An exact duplicate is the same text seen again (a repost, a
--   re-paste, a repeated headline); a near duplicate is a pair of almost identical texts (an edited repost,
--   a truncated copy), both shown, with how similar they are (1 is identical). Each text is paired with its
--   three closest earlier twins (or its first later one when it has none).
-- order: 7

select * from (
  select
    'exact' as kind,
    f.id as fragment_id,
    null as other_fragment_id,
    null as similarity,
    count(*) as sightings,
    count(distinct s.source_id) as sources,
    count(distinct s.thread_id) as threads,
    substr(f.text, 1, 300) as text,
    null as other_text
  from public_fragments f join public_sightings s on s.fragment_rowid = f.rowid
  group by f.id
  having count(*) > 1
  union all
  select
    'near',
    nd.fragment_a,
    nd.fragment_b,
    round(nd.similarity, 3),
    (
      select count(*) from public_sightings
      where fragment_rowid in (select rowid from public_fragments where id in (nd.fragment_a, nd.fragment_b))
    ),
    (
      select count(distinct source_id) from public_sightings
      where fragment_rowid in (select rowid from public_fragments where id in (nd.fragment_a, nd.fragment_b))
    ),
    (
      select count(distinct thread_id) from public_sightings
      where fragment_rowid in (select rowid from public_fragments where id in (nd.fragment_a, nd.fragment_b))
    ),
    (select substr(text, 1, 300) from public_fragments where id = nd.fragment_a),
    (select substr(text, 1, 300) from public_fragments where id = nd.fragment_b)
  from public_near_duplicates nd
)
order by kind = 'exact' desc, sightings desc, similarity desc, fragment_id
