"""HTTP routers, one module per resource; `coopkg.web.app._routers()` lists which are mounted."""
