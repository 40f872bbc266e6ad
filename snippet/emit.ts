import type { EventType, WireEvent } from '../shared/events'
import { randomId, touch } from './store'
import { enqueue } from './transport'

export type Fields = Omit<WireEvent, 'id' | 'type' | 't' | 'session'>

/** Stamps an event with its id, time, session and page, and queues it for the edge. */
export function emit(type: EventType, fields: Fields = {}, id = randomId()): WireEvent {
  const event = {
    ...fields,
    id,
    type,
    t: Date.now(),
    session: touch().s as string,
    url: location.href.slice(0, 2048),
  }
  enqueue(event)
  return event
}
