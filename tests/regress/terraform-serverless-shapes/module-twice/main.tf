module "a" {
  source = "./modules/svc"
  auth   = "NONE"
}
module "b" {
  source = "./modules/svc"
  auth   = "AWS_IAM"
}
