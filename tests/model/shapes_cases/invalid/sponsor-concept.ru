# A supporter that is a topic.
# expect: ekgsh:Event-sponsor sh:OrConstraintComponent
# message: organisation or a person
# severity: Violation
INSERT DATA { <event/example-workshop-2021> schema:sponsor <topic/example-data> }
