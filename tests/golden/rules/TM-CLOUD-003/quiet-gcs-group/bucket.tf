variable "project" {
  default = "acme-prod"
}

resource "google_storage_bucket" "exports" {
  name                        = "${var.project}-exports"
  location                    = "EU"
  uniform_bucket_level_access = true
}

# The data team reads the exports.
resource "google_storage_bucket_iam_member" "exports_public" {
  bucket = google_storage_bucket.exports.name
  role   = "roles/storage.objectViewer"
  member = "group:data-team@acme.example"
}
