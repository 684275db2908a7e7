// Starts the GOV.UK Frontend components on every page.
import { initAll } from '/assets/govuk-frontend.min.js'
initAll()

// Long forms (data-keep-alive): while the person is typing, ping the server every few
// minutes so the inactivity timeout does not sign them out mid-audit. Pings stop 25 minutes
// after the last keystroke, so an unattended screen is still signed out in the end.
const form = document.querySelector('form[data-keep-alive]')
if (form) {
  let typedAt = 0
  form.addEventListener('input', () => { typedAt = Date.now() })
  setInterval(() => {
    if (Date.now() - typedAt < 25 * 60 * 1000) {
      fetch(form.dataset.keepAlive, { credentials: 'same-origin' })
    }
  }, 4 * 60 * 1000)
}
