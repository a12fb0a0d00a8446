// First: must take effect before any zod schema is created (see the module).
import '../../shared/ipc/configureZodForCsp'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './components/App'
import { guardNavigation } from './guardNavigation'
import { startAppFeed } from './startAppFeed'
import { useErrorStore } from './stores/errorStore'
import { useRouteStore } from './stores/routeStore'
import './styles.css'

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root element')

const route = useRouteStore.getState()
route.setFromHash(window.location.hash)
window.addEventListener('hashchange', () => route.setFromHash(window.location.hash))
guardNavigation(document, (error) => useErrorStore.getState().report(error, 'Opening a link'))

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
void startAppFeed()
