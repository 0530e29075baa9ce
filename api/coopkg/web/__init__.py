"""The HTTP gateway: the app factory, routers, content negotiation, the response cache."""
