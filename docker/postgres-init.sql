-- n8n keeps its own database beside Cadence's.
CREATE DATABASE n8n OWNER cadence;
