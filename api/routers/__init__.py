"""HTTP routers, one module per resource; `api.app.ROUTERS` lists which are mounted."""
