resource "google_service_account" "cicd" {
  account_id = "pipeline"
}

resource "google_service_account_iam_member" "wif_k8s" {
  service_account_id = google_service_account.cicd.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:p.svc.id.goog[ci/runner]"
}

resource "google_service_account_iam_member" "wif_repo" {
  service_account_id = google_service_account.cicd.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/attribute.repository/acme/app"
}

resource "google_service_account_iam_binding" "wif_all" {
  service_account_id = google_service_account.cicd.name
  role               = "roles/iam.workloadIdentityUser"
  members            = ["principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/*"]
}

resource "google_service_account_iam_member" "wif_owner" {
  service_account_id = google_service_account.cicd.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/attribute.repository_owner/acme"
}

resource "google_project_iam_member" "owner" {
  project = "p"
  role    = "roles/owner"
  member  = "serviceAccount:${google_service_account.cicd.email}"
}
