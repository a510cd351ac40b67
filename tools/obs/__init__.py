"""MM-Bot observability: the Prometheus metric registry lives in `tools.obs.metrics`."""
