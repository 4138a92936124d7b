# A participation with no basis.
# expect: ekgsh:Participation-basis sh:MinCountConstraintComponent
# message: how it rests
# severity: Violation
DELETE { <participation/example-workshop-2021/example-ecr-secretariat/organiser> ekg:basis ?b } WHERE { <participation/example-workshop-2021/example-ecr-secretariat/organiser> ekg:basis ?b }
