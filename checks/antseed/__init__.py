"""What the doctor knows about a local AntSeed installation."""
