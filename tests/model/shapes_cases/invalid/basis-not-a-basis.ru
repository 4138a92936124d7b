# ekg:basis given a role instead of a basis.
# expect: ekgsh:Basis-value sh:ClassConstraintComponent
# message: evidence-bases scheme
# severity: Violation
DELETE { <participation/example-workshop-2021/example-ecr-secretariat/organiser> ekg:basis <basis/stated> } INSERT { <participation/example-workshop-2021/example-ecr-secretariat/organiser> ekg:basis <role/organiser> } WHERE {}
