//! WSDL 1.1 stage: read documents (following imports), resolve them into [`crate::model`].
