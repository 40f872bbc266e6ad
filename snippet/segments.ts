import { load, save } from './store'

type Listener = (segments: string[]) => void

const listeners: Listener[] = []
// This page's view of membership: its listeners hear every change from this value on.
let current = load().g || []

/** The visitor's live segment ids, as of the last answer from the edge (or the last page). */
export const segments = () => current.slice()

export function on(type: string, fn: Listener) {
  if (type === 'segments') listeners.push(fn)
}

/** Takes the list an answer brings; an answer without one (an error) changes nothing. */
export function receive(list = current) {
  if (`${list}` !== `${current}`) {
    current = list
    save({ ...load(), g: list })
    for (const fn of listeners) {
      try {
        fn(segments())
      } catch {}
    }
  }
}
