-- TPC-DS Q45 (Appendix B.45): web sales in a given quarter of a year to customers in certain zip codes, or
-- of certain items, per customer zip code and city, county or state.
-- @param QOY 2 ~ uniform(1, 2)
-- @param YEAR 2001 ~ uniform(1998, 2002)
-- @param GBOBC 'ca_city' ~ choice(['ca_city', 'ca_county', 'ca_state'])
select ca_zip, ${GBOBC}, sum(ws_sales_price) as total_sales
from web_sales, customer, customer_address, date_dim, item
where ws_bill_customer_sk = c_customer_sk
  and c_current_addr_sk = ca_address_sk
  and ws_item_sk = i_item_sk
  and (substr(ca_zip, 1, 5) in ('85669', '86197', '88274', '83405', '86475', '85392', '85460', '80348', '81792')
       or i_item_id in (
            select i_item_id
            from item
            where i_item_sk in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29)
       ))
  and ws_sold_date_sk = d_date_sk
  and d_qoy = ${QOY}
  and d_year = ${YEAR}
group by ca_zip, ${GBOBC}
order by ca_zip, ${GBOBC}
limit 100
