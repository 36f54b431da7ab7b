-- title: Sources
-- description: Everything archived, newest first: when, the sha256 of the raw bytes as received, the kind
--   of input, its size, and the threads it gave. Open a source to read it with line numbers.
-- order: 9

select
  s.id as source_id,
  s.name,
  s.kind,
  s.ingested_at,
  s.sha256,
  s.bytes,
  s.lines,
  s.encoding,
  s.repair,
  s.url,
  s.private,
  (select count(distinct thread_id) from public_sightings where source_id = s.id) as threads,
  (select count(*) from public_sightings where source_id = s.id) as sightings,
  (select count(*) from public_dropped where source_id = s.id) as dropped_spans
from public_sources s
order by s.ingested_at desc, s.id desc
