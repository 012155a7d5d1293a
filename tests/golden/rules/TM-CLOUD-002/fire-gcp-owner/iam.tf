variable "project_id" {
  type = string
}

resource "google_service_account" "deployer" {
  account_id   = "ci-deployer"
  display_name = "CI deployer"
  project      = var.project_id
}

resource "google_project_iam_member" "deployer_owner" {
  project = var.project_id
  role    = "roles/owner"
  member  = "serviceAccount:${google_service_account.deployer.email}"
}
