# org:holds pointing to an organisation.
# expect: ekgsh:Person-holds sh:ClassConstraintComponent
# message: must be a post
# severity: Violation
INSERT DATA { <person/example-ana> org:holds <org/example-ministry> }
