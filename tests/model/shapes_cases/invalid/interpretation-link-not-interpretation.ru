# ekg:interpretation pointing to an organisation.
# expect: ekgsh:Basis-interpretation sh:ClassConstraintComponent
# message: must point to an ekg:Interpretation
# severity: Violation
DELETE { <participation/example-workshop-2021/example-foundation/supporter> ekg:interpretation ?i } INSERT { <participation/example-workshop-2021/example-foundation/supporter> ekg:interpretation <org/example-foundation> } WHERE { <participation/example-workshop-2021/example-foundation/supporter> ekg:interpretation ?i }
