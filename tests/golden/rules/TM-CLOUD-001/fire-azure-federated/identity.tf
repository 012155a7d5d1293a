resource "azurerm_user_assigned_identity" "orders" {
  name                = "orders-workload"
  resource_group_name = "shop"
  location            = "westeurope"
}

# Azure AD workload identity federation for the orders service account.
resource "azurerm_federated_identity_credential" "orders" {
  name                = "orders"
  resource_group_name = "shop"
  parent_id           = azurerm_user_assigned_identity.orders.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://oidc.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/"
  subject             = "system:serviceaccount:shop:*"
}
