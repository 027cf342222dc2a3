"""The reference storefront: the store's REST and gRPC APIs served over the demo store.

`rest.create_app` and `grpc_server.create_grpc_server` work over any `StoreServices`;
`mangaassist storefront serve` runs both on the local demo store (docs/storefront.md).
"""
