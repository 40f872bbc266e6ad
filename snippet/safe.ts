/**
 * Listens on window in the capture phase, so that a page handler stopping propagation cannot
 * hide events, and swallows anything the handler throws: the snippet must never break the page.
 */
export const listen = (type: string, fn: (event: never) => unknown) =>
  addEventListener(
    type,
    (event) => {
      try {
        fn(event as never)
      } catch {}
    },
    true,
  )
