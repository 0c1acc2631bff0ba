"""HTTP adapters: parse requests, call services, shape responses. No business rules here."""
