module "fn" {
  source = "./modules/fn"
  env    = "prod"
}
module "api" {
  source = "./modules/api"
  fn_arn = module.fn.invoke_arn
}
