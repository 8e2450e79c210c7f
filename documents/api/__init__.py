"""The JSON API: documents, W3C annotation containers, tokens, problem details."""
