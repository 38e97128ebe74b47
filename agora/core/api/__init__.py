"""The API's shared ground: the one error shape, typed input schemas and throttling."""
