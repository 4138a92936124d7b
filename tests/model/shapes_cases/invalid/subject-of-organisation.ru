# schema:subjectOf pointing to an organisation.
# expect: ekgsh:Event-subjectOf sh:ClassConstraintComponent
# message: must point to a document
# severity: Violation
INSERT DATA { <event/example-workshop-2021/opening-remarks> schema:subjectOf <org/example-ecr> }
