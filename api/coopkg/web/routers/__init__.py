"""HTTP routers, one module per resource; `coopkg.web.app.ROUTERS` lists which are mounted."""
