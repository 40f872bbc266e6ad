import { listen } from './safe'
import { emit } from './transport'

let page = ''
let engaged = 0
let lastInput = Date.now()

/** Reports the engaged time on the current page not yet reported. */
export function reportDwell() {
  if (page && engaged) emit('dwell', { ref: page, dwell: engaged })
  engaged = 0
}

/** Starts counting for a new page view. */
export function startDwell(ref: string) {
  reportDwell()
  page = ref
}

/**
 * Samples attention once a second: a second counts when the page is visible and focused and
 * the shopper gave some input in the last 30 (idle shoppers are away).
 */
export function watchAttention() {
  for (const type of ['keydown', 'pointerdown', 'pointermove', 'scroll']) {
    listen(type, () => {
      lastInput = Date.now()
    })
  }
  setInterval(() => {
    if (!document.hidden && document.hasFocus() && Date.now() - lastInput < 3e4) engaged += 1e3
  }, 1e3)
}
