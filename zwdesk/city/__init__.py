"""The city's intake service (市里数据接收): station registration, bundle intake and receipts,
and the city database that merges every station.

A top-level application beside the desktop window: it imports `zwdesk.sync` (format and crypto)
and `zwdesk.domain`, never the station's storage, services or window (import-linter checks it).
"""
