# An event part of two events.
# expect: ekgsh:Event-superEvent sh:MaxCountConstraintComponent
# message: at most one event
# severity: Violation
INSERT DATA { <event/example-workshop-2021/opening-remarks> schema:superEvent <event/other> . <event/other> a schema:Event ; schema:name "Other"@en }
