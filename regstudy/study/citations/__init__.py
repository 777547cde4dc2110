"""The citation checker: finds citations in free text and checks each against the stored articles."""
