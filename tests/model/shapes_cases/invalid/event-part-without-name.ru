# A sub-event with no name.
# expect: ekgsh:Event-name sh:MinCountConstraintComponent
# message: An event needs a name
# severity: Violation
DELETE { <event/example-workshop-2021/opening-remarks> schema:name ?n } WHERE { <event/example-workshop-2021/opening-remarks> schema:name ?n }
