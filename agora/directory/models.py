"""The directory: authorities, offices, areas, topics, responsibilities, officials."""
