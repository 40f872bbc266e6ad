import {
  compileSegments,
  type SegmentDefinition,
  type SegmentSet,
  starterSegments,
} from '../../shared/segments/definitions'

/** What a site decides: its time zone and its segments, with a version that names both. */
export interface SiteSettings {
  version: string
  /** IANA zone for events that bring none of their own (imports, mostly). */
  timeZone: string
  segments: SegmentDefinition[]
}

/** What a merchant sends to change the settings; omitted parts keep the defaults. */
export interface SiteConfig {
  timeZone?: string
  segments?: SegmentDefinition[]
}

/** A site's settings from its stored config: starter segments and UTC where it sets none. */
export async function settingsFrom(config: SiteConfig): Promise<SiteSettings> {
  const timeZone = config.timeZone ?? 'UTC'
  const segments = config.segments ?? starterSegments
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(JSON.stringify({ timeZone, segments })),
  )
  const version = [...new Uint8Array(digest).slice(0, 12)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('')
  return { version, timeZone, segments }
}

const compiled = new Map<string, SegmentSet>()
const maxCompiledVersions = 64

/** The compiled segments of a settings version; compiled once per isolate and version. */
export function compiledSegments(settings: SiteSettings): SegmentSet {
  let set = compiled.get(settings.version)
  if (set === undefined) {
    set = compileSegments(settings.segments)
    // Settings change rarely; starting afresh is simpler than tracking which are in use.
    if (compiled.size >= maxCompiledVersions) compiled.clear()
    compiled.set(settings.version, set)
  }
  return set
}
