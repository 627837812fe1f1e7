//! ESC/POS ticket printing (issue 3).
