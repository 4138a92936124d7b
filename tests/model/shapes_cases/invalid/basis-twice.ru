# A fact both stated and interpreted.
# expect: ekgsh:Basis-value sh:MaxCountConstraintComponent
# message: takes one value
# severity: Violation
INSERT { <participation/example-workshop-2021/example-ecr-secretariat/organiser> ekg:basis <basis/interpreted> } WHERE {}
