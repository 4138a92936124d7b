# A target group that is a topic.
# expect: ekgsh:Event-targetGroup sh:ClassConstraintComponent
# message: population group
# severity: Violation
INSERT DATA { <event/example-workshop-2021> ekg:targetGroup <topic/example-data> }
