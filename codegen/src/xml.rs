//! A small positioned DOM for WSDL and catalog files (to be written).
