"""The prevention half (issue 14): grids, citizens and key persons, patrols, warnings, their
clocks and figures. ``records`` writes and reads the registers, ``duties`` the clocks and
figures, ``sheets`` the import and export files."""
