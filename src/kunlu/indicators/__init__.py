"""S1 经济运行监测: indicator catalogue, versioned observations, intake, direct reporting, monitoring."""
