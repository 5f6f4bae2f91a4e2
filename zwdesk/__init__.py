"""zwdesk — 中卫劳务工作站桌面端 (Zhongwei labour-station desktop)."""

__version__ = "0.1.0"
