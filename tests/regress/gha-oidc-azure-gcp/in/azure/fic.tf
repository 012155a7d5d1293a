resource "azurerm_user_assigned_identity" "deploy" {
  name                = "gh-deploy"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_federated_identity_credential" "gh" {
  name                = "gh-pr"
  resource_group_name = "rg"
  parent_id           = azurerm_user_assigned_identity.deploy.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  subject             = "repo:acme/app:pull_request"
}

resource "azurerm_role_assignment" "owner" {
  scope                = "/subscriptions/0000"
  role_definition_name = "Owner"
  principal_id         = azurerm_user_assigned_identity.deploy.principal_id
}
