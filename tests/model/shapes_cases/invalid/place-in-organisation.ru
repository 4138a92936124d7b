# A place contained in an organisation.
# expect: ekgsh:Place-containedIn sh:ClassConstraintComponent
# message: only be contained in a place
# severity: Violation
INSERT DATA { <place/example-geneva> schema:containedInPlace <org/example-ecr> }
