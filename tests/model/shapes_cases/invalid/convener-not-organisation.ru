# A convener that is a place.
# expect: ekgsh:Event-convener sh:ClassConstraintComponent
# message: must be an organisation
# severity: Violation
DELETE DATA { <event/example-workshop-2021> ekg:convener <org/example-ecr> } ; INSERT DATA { <event/example-workshop-2021> ekg:convener <place/example-geneva> }
