# A topic that is a place.
# expect: ekgsh:Event-about sh:ClassConstraintComponent
# message: concepts of a topic scheme
# severity: Violation
INSERT DATA { <event/example-workshop-2021> schema:about <place/example-geneva> }
